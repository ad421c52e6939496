"""``nhacviec demo``: the whole product on one machine, in a browser, with no token and no network.

The embedded Bot API server (``nhacviec.botapi``) plays Telegram on 127.0.0.1; the real bot
runs against it through ``nhacviec.runner.serve`` (polling, handlers, jobs, the ledger, the
scheduler lease), on a SQLite database in the demo folder, with a :class:`DemoClock` the page
moves forward. The page (``nhacviec.demo.web``) shows one chat per person of a small province
(``units.csv``, ``people.csv``), registered through real invites at the first start.
"""
