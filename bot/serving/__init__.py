"""Ways to run the service: long polling, webhooks, the product on the local sandbox."""
