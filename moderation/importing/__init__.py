"""Comments brought in from another system's export (Disqus, WordPress WXR)."""
