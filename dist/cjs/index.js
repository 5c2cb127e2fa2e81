"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_INLINE_RESULT_BYTES = exports.SuspendSignal = exports.suspend = exports.withDurableCheckpoints = exports.fetchTransport = exports.lambdaClientTransport = exports.CheckpointError = exports.sortUpdates = exports.CheckpointBatcher = void 0;
/**
 * durable-checkpoint: the checkpoint core of AWS Lambda durable functions, compiled
 * from Rust to WebAssembly, for Node.js.
 */
var batcher_1 = require("./batcher");
Object.defineProperty(exports, "CheckpointBatcher", { enumerable: true, get: function () { return batcher_1.CheckpointBatcher; } });
Object.defineProperty(exports, "sortUpdates", { enumerable: true, get: function () { return batcher_1.sortUpdates; } });
var errors_1 = require("./errors");
Object.defineProperty(exports, "CheckpointError", { enumerable: true, get: function () { return errors_1.CheckpointError; } });
var lambda_1 = require("./lambda");
Object.defineProperty(exports, "lambdaClientTransport", { enumerable: true, get: function () { return lambda_1.lambdaClientTransport; } });
var fetch_1 = require("./fetch");
Object.defineProperty(exports, "fetchTransport", { enumerable: true, get: function () { return fetch_1.fetchTransport; } });
var wrapper_1 = require("./wrapper");
Object.defineProperty(exports, "withDurableCheckpoints", { enumerable: true, get: function () { return wrapper_1.withDurableCheckpoints; } });
Object.defineProperty(exports, "suspend", { enumerable: true, get: function () { return wrapper_1.suspend; } });
Object.defineProperty(exports, "SuspendSignal", { enumerable: true, get: function () { return wrapper_1.SuspendSignal; } });
Object.defineProperty(exports, "MAX_INLINE_RESULT_BYTES", { enumerable: true, get: function () { return wrapper_1.MAX_INLINE_RESULT_BYTES; } });
