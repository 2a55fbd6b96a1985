# checks: en messages (see ../../README.md).
