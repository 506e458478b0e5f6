# Service directory (HSDS), consents and referrals arrive with
# their issue (see DESIGN.md); this app exists now so that the layout is the final one.
