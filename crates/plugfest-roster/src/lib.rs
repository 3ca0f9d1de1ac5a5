//! OneRoster 1.1 / 1.2 REST consumer: the client side Plugfest plays against a provider.
