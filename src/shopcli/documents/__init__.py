"""Documents: rendering templates in the client's language, PDF, email drafts."""
