# service: id messages (see ../../README.md).
