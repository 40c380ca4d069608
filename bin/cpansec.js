#!/usr/bin/env node
import { main } from '../dist/cpansec.js';

process.exitCode = await main(process.argv.slice(2));
