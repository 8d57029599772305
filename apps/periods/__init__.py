"""The reporting period: one Posyandu month, which may be locked and may be stale.

A month is *locked* once its report was sent or approved (its records then stay as reported until a
level above reopens it), and *stale* once a record in it changed after its values were computed.
The apps that record data (serviceday, fieldregisters, imports) ask and tell here; the app that
reports on them (reports) answers, by registering its implementation when Django starts
(`ReportsConfig.ready`). So the recording apps never import the reporting app, and the data flows
one way: a save marks its month stale here, the report job recomputes it there.
"""
