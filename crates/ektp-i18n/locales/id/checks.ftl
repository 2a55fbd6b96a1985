# checks: id messages (see ../../README.md).
