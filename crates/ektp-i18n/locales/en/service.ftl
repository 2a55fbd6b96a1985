# service: en messages (see ../../README.md).
