import pytest

from hippo.config import ConfigError, Settings


def test_env_then_overrides() -> None:
    env = {"HIPPO_TOP_FACTS": "7", "HIPPO_DAMPING": "0.6", "HIPPO_RECOGNITION_FILTER": "yes",
           "OPENAI_API_KEY": "sk-secret"}
    s = Settings.from_env(env, damping=0.7, namespace=None)
    assert s.top_facts == 7 and s.damping == 0.7 and s.recognition_filter is True
    assert s.llm_api_key == "sk-secret"
    assert s.namespace == "default"


def test_secrets_never_in_repr_or_public_dict() -> None:
    s = Settings.from_env({"HIPPO_LLM_API_KEY": "sk-abc", "HIPPO_NEO4J_PASSWORD": "pw"})
    assert "sk-abc" not in repr(s) and "pw" not in repr(s)
    assert s.public_dict()["llm_api_key"] == "***"


@pytest.mark.parametrize("env", [{"HIPPO_DAMPING": "1.5"}, {"HIPPO_TOP_FACTS": "many"},
                                 {"HIPPO_RETRIEVAL_MODE": "magic"}, {"HIPPO_CHUNK_OVERLAP": "500"}])
def test_invalid_values_are_rejected(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env(env)


def test_endpoint_roles_fall_back_to_llm() -> None:
    s = Settings.from_env({"HIPPO_LLM_BASE_URL": "http://a/v1", "HIPPO_TRAINEE_MODEL": "small"})
    assert s.endpoint("trainee") == ("http://a/v1", "small", "")
    assert s.endpoint("synth")[0] == "http://a/v1"
