"""Configuration from the environment: a missing or malformed value is one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.errors import InputError
from bot.telegram.config import TelegramConfig
from tg_harness import TOKEN


def test_a_token_of_the_right_shape_is_accepted_with_the_optional_settings():
    config = TelegramConfig.from_env(
        {
            "TELEGRAM_BOT_TOKEN": f" {TOKEN} ",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "YIBAO_STORE": "/tmp/s.db",
            "TELEGRAM_WEBHOOK_SECRET": "s3cret_-0123456789",
            "TELEGRAM_RATE_LIMIT": "25",
        }
    )
    assert config.token.get_secret_value() == TOKEN
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert (config.store, config.rate_limit) == ("/tmp/s.db", 25.0)
    assert TOKEN not in repr(config) and TOKEN not in str(config.model_dump())


def test_without_a_token_the_message_says_which_variable_to_set():
    with pytest.raises(InputError, match="TELEGRAM_BOT_TOKEN"):
        TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": "  "})


@pytest.mark.parametrize(
    "token",
    ["123456", "abc:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef", "123456:short", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef!"],
)
def test_a_malformed_token_is_refused_without_repeating_it(token):
    with pytest.raises(InputError) as caught:
        TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": token})
    assert "TELEGRAM_BOT_TOKEN" in str(caught.value)
    assert token not in str(caught.value)


@pytest.mark.parametrize(
    "name,value",
    [
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:8081/bot"),
        ("TELEGRAM_WEBHOOK_SECRET", "has space"),
        ("TELEGRAM_WEBHOOK_SECRET", "x"),
        ("TELEGRAM_WEBHOOK_SECRET", "fifteen_chars15"),
        ("TELEGRAM_RATE_LIMIT", "fast"),
        ("TELEGRAM_RATE_LIMIT", "-1"),
    ],
)
def test_other_bad_settings_name_their_variable(name, value):
    with pytest.raises(InputError, match=name):
        TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})


def _yibao_telegram(env_token: str | None, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    if env_token is not None:
        env["TELEGRAM_BOT_TOKEN"] = env_token
    return subprocess.run(
        [sys.executable, "-m", "bot", "telegram", *extra], env=env, capture_output=True, text=True, timeout=60
    )


def test_yibao_telegram_without_a_token_exits_2_with_one_line():
    done = _yibao_telegram(None)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_yibao_telegram_with_a_malformed_token_exits_2_without_printing_it():
    done = _yibao_telegram("123:not-a-token")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "123:not-a-token" not in done.stderr


def test_yibao_telegram_with_a_bad_webhook_url_exits_2():
    done = _yibao_telegram(TOKEN, "--webhook", "not a url")
    assert done.returncode == 2 and "--webhook" in done.stderr
