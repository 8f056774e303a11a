"""The whole suite's root: this folder is on ``sys.path``, so every test folder can import the
helpers kept here (``requires``)."""
