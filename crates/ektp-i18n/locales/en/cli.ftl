# cli: en messages (see ../../README.md).
