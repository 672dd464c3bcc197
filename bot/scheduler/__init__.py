"""The clock: scheduled jobs that decide what is due and write it to the outbox."""
