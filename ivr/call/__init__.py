"""The call flow: where a call is, what happens next, the verbs and their TwiML.

Pure: no Flask, no database, no click; the current time is always an argument.
"""
