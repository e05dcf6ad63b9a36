"""Files through the pwa: multipart forms read as a stream (form.py) and each file relayed to
intake as it arrives (relay.py), so no file is ever held whole in the pwa's memory."""
