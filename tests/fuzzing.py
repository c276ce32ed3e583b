"""How many examples the fuzzers try (tests/conftest.py loads the derandomized "ci" profile). The request and
loader fuzzers read untrusted input, so they try more than Hypothesis' default of 100; under the "explore"
profile every fuzzer tries the profile's number instead."""
from hypothesis import settings

EXPLORING = settings.default.max_examples > 1000


def examples(n: int) -> int:
    return settings.default.max_examples if EXPLORING else n


REQUESTS = examples(300)       # query strings on the page and /data.csv (was 150)
IMAGE_REQUESTS = examples(20)  # query strings on /chart.png and /chart.svg: each may draw an image (was 12)
CALLBACKS = examples(80)       # callback bodies with any values (was 40)
LOADER_BYTES = examples(500)   # any bytes as a data file (was 300)
LOADER_TEXT = examples(400)    # any text after a valid header (was 200)
NEAR_VALID = examples(400)     # valid files with one thing wrong (was 250)
