"""Call records: the tables, the writes the webhooks make, the spool, migrations, reports."""
