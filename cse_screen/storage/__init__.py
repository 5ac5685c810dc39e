"""Encrypted storage: SQLCipher through SQLAlchemy, keyslots, migrations, backups, records.

The low level (the "vault") is ``engine`` (open the encrypted database with a raw key),
``keyslots`` (passwords unwrap the database key), ``kdf``, ``recovery`` (IT's recovery key),
``atomic`` (crash-safe file writes), ``integrity``, ``migrate`` and ``backup``. Submodules are not
imported here, so importing one part never drags in the others.
"""
