"""Settings: defaults, INTRODASH_* from the environment, given values first, and plain SettingErrors."""
from __future__ import annotations

import pytest

from dashboard import settings
from dashboard.settings import MB, SETTINGS, SettingError, env_name, get, resolve


def test_defaults_with_an_empty_environment():
    v = resolve(environ={})
    assert v == {name: s.default for name, s in SETTINGS.items()}
    assert v["url_prefix"] == "/" and v["frame_ancestors"] == "'self'" and v["reload_interval"] == 2.0
    assert v["max_upload_bytes"] == 2 * MB and v["max_request_bytes"] == 3 * MB
    assert v["max_data_bytes"] == 50 * MB and v["cache"] is None and v["redis_url"] is None


def test_the_default_request_limit_leaves_room_for_the_default_upload():
    # An upload travels base64 (4/3) in a request, plus 64 KB for the rest of it.
    assert SETTINGS["max_request_bytes"].default >= SETTINGS["max_upload_bytes"].default * 4 // 3 + 64 * 1024


def test_environment_names():
    assert env_name("url_prefix") == "INTRODASH_URL_PREFIX"
    assert env_name("max_upload_bytes") == "INTRODASH_MAX_UPLOAD_BYTES"


def test_the_environment_is_read_and_converted_to_the_settings_kind():
    v = resolve(environ={"INTRODASH_RELOAD_INTERVAL": "0.5", "INTRODASH_MAX_DATA_BYTES": "1000",
                         "INTRODASH_URL_PREFIX": "/intro/", "INTRODASH_CACHE": "none", "OTHER": "x"})
    assert v["reload_interval"] == 0.5 and isinstance(v["reload_interval"], float)
    assert v["max_data_bytes"] == 1000 and isinstance(v["max_data_bytes"], int)
    assert v["url_prefix"] == "/intro/" and v["cache"] == "none"


def test_a_given_value_wins_over_the_environment():
    v = resolve({"reload_interval": 0}, environ={"INTRODASH_RELOAD_INTERVAL": "9"})
    assert v["reload_interval"] == 0.0
    assert resolve(environ={"INTRODASH_RELOAD_INTERVAL": "9"})["reload_interval"] == 9.0


def test_resolve_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("INTRODASH_CACHE_TIMEOUT", "12")
    assert resolve()["cache_timeout"] == 12
    assert get("cache_timeout") == 12


def test_get_reads_one_setting_outside_an_app():
    assert get("max_data_bytes", environ={}) == 50 * MB
    assert get("max_data_bytes", environ={"INTRODASH_MAX_DATA_BYTES": "77"}) == 77
    with pytest.raises(SettingError, match="INTRODASH_MAX_DATA_BYTES: 'lots' is not a valid int"):
        get("max_data_bytes", environ={"INTRODASH_MAX_DATA_BYTES": "lots"})


@pytest.mark.parametrize("env,value", [("INTRODASH_MAX_UPLOAD_BYTES", "2MB"), ("INTRODASH_MAX_UPLOAD_BYTES", "1.5"),
                                       ("INTRODASH_RELOAD_INTERVAL", "soon"), ("INTRODASH_CACHE_TIMEOUT", " ")])
def test_a_bad_environment_value_names_the_variable_and_the_setting(env, value):
    with pytest.raises(SettingError) as e:
        resolve(environ={env: value})
    name = env[len("INTRODASH_"):].lower()
    assert str(e.value) == f"{env}: {value!r} is not a valid {SETTINGS[name].kind.__name__} for setting '{name}'"


@pytest.mark.parametrize("value", [-1, float("inf"), float("nan")])
def test_a_negative_or_endless_number_is_refused(value):
    with pytest.raises(SettingError, match="setting 'reload_interval' must be 0 or more"):
        resolve({"reload_interval": value}, environ={})


def test_a_boolean_is_not_a_number():
    with pytest.raises(SettingError, match="create_app\\(settings=...\\): True is not a valid int for setting "
                                           "'cache_threshold'"):
        resolve({"cache_threshold": True}, environ={})


def test_an_unknown_setting_is_refused_by_name():
    with pytest.raises(SettingError) as e:
        resolve({"url_prefx": "/x/"}, environ={})
    assert "unknown setting(s): url_prefx" in str(e.value) and "url_prefix" in str(e.value)


@pytest.mark.parametrize("prefix", ["intro/", "/intro", "//intro/", "/in tro/", "/intro?x/", "/a\\b/"])
def test_a_url_prefix_must_start_and_end_with_a_slash(prefix):
    with pytest.raises(SettingError, match="setting 'url_prefix' must start and end with '/'"):
        resolve({"url_prefix": prefix}, environ={})


@pytest.mark.parametrize("prefix", ["/", "/intro/", "/a/b/"])
def test_good_url_prefixes(prefix):
    assert resolve({"url_prefix": prefix}, environ={})["url_prefix"] == prefix


@pytest.mark.parametrize("value", ["'self';script-src *", "'self',https://a.no", "'self'\r\nX: y"])
def test_frame_ancestors_cannot_break_the_header(value):
    with pytest.raises(SettingError, match="frame_ancestors"):
        resolve({"frame_ancestors": value}, environ={})
    assert resolve({"frame_ancestors": "'self' https://www.kommune.no"}, environ={})["frame_ancestors"] == \
        "'self' https://www.kommune.no"


def test_the_request_limit_must_fit_an_upload():
    upload = 3 * MB
    need = upload * 4 // 3 + 64 * 1024
    with pytest.raises(SettingError) as e:
        resolve({"max_upload_bytes": upload}, environ={})
    assert f"must be at least {need}" in str(e.value)
    assert resolve({"max_upload_bytes": upload, "max_request_bytes": need}, environ={})["max_request_bytes"] == need
    with pytest.raises(SettingError):
        resolve({"max_upload_bytes": upload, "max_request_bytes": need - 1}, environ={})


def test_setting_error_is_a_value_error_and_every_setting_has_help():
    assert issubclass(SettingError, ValueError)
    assert settings.ENV_PREFIX == "INTRODASH_"
    for name, s in SETTINGS.items():
        assert len(s.help) > 20, name
        assert s.default is None or isinstance(s.default, s.kind), name
