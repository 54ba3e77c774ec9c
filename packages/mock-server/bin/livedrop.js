#!/usr/bin/env node
// Committed launcher for the built `livedrop` command (see livedrop-mock.js for why).
import '../dist/livedrop.js';
