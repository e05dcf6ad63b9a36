"""The secpool web app: accounts and sessions, server-rendered pages (htmx), live updates
(SSE) and Web Push. It talks to the services over HTTP with signed service tokens."""
