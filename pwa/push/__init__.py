"""Web Push for the pwa: browsers subscribe (api.py), events become queued notices
(handlers.py → store.py), and a delivery worker encrypts, signs and sends them (sender.py).

Notices carry ids and generic text only, never a request's description or a kudos message.
"""
