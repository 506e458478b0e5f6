"""Views of the cases app, by subject: people (page, create, edit), search (the search box and
the contact form's person picker), contacts (log, edit, addenda), merge (duplicates)."""
