"""Forms for the champions network, split by job. Every refusal says what to change."""
