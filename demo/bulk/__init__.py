"""Bulk history for the county and province scales of seed_demo (PostgreSQL only).

calendar  working time as numbers (the same rules as core.workdays)
texts     titles, descriptions and diary texts composed from parts
context   the organisation and the people who act in the history
planner   timed paths round the loops, whole or cut short
lifecycle walks a path like cases.services and writes its rows
writer    COPY in chunks, pre-allocated ids, indexes dropped and rebuilt
build     the year, day by day
rollup    the daily roll-ups of the year, set-based
"""
