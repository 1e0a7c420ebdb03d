"""Static files for the suite: WhiteNoise's index of them, made once per process."""

from whitenoise.middleware import WhiteNoiseMiddleware


class IndexedOnceWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise indexes every static file (the finders, with a stat of each) whenever a request handler is
    built, and the test client builds one for every Client: about 0.1 s of each test that makes a request.
    The files do not change while the suite runs, so the first index serves every later handler."""

    _index: dict | None = None

    def add_files_from_finders(self):
        cls = type(self)
        if cls._index is None:
            super().add_files_from_finders()
            cls._index = dict(self.files)
        else:
            self.files.update(cls._index)
