"""The conversation and its faces: dialogue manager, session stores, rendering, CLI, Telegram."""
