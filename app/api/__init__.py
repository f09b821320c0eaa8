"""The assistant for other tools: an OpenAI-compatible chat API (``openai_routes``) and an MCP
server (``mcp_server``), both through one ``Gateway`` (who asks, the question checked, the
audit seam)."""
