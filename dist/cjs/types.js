"use strict";
/**
 * Wire types of the Lambda durable execution API, shaped exactly like
 * `@aws-sdk/client-lambda`'s so objects pass between the two in both directions.
 */
Object.defineProperty(exports, "__esModule", { value: true });
