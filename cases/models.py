# People, households, contacts, cases, notes, tasks, consultations and assessments arrive with
# their issues (see DESIGN.md); this app exists now so that the layout is the final one.
