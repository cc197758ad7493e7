"""Helpers for the agents notebook: package a handler as a Lambda zip, start an MCP server
over stdio in a child Python process, and a scripted Strands model for safeguard demos.

Nothing is imported until a helper module is used, so ``import course.agent_lab`` is free.
"""
