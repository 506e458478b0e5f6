# Safety Net meetings, minutes, action items, nominations and diversions arrive
# with their issue (see DESIGN.md); this app exists now so that the layout is the final one.
