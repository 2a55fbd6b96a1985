# station: id messages of the printing station (batch, journal, check; see ../../README.md).
