"""The core every layer stands on: models, ids, errors, settings and the argmap JSON v1 contract."""
