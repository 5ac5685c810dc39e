"""The encrypted local file: SQLCipher engine, keyslots, recovery key, backups, schema upgrades.

``engine`` opens the encrypted database with a raw key, ``keyslots`` (with ``kdf``) lets each
user's password unwrap that key, ``recovery`` holds IT's recovery key, ``atomic`` writes files
crash-safely, ``backup``/``restore``/``journal`` make and put back encrypted backups,
``migrate`` upgrades the schema (backup first), ``integrity`` checks the file, ``anchor`` and
``pending`` keep the audit trail's side files, and ``store`` puts it together: unlock a keyslot,
open the engine and hang the record services of :mod:`cse_screen.storage` off it.

The record services never import this package; it calls them. Submodules are not imported here,
so importing one part never drags in the others.
"""
