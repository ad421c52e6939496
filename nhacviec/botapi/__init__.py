"""The embedded Telegram Bot API server (``server``) and Telegram's text formatting (``entities``).

Product code: ``nhacviec demo`` runs the real bot against it; the end-to-end tests use it
through ``tests.fakes.bot_api``.
"""
