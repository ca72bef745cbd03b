// Owns the list of operations the REST API serves (the OpenAPI document and the fuzz test read it).
import type { Operation } from "./operation";
import { listAuditEventsOp } from "../audit/operations";
import { verificationAnalyticsOp } from "../analytics/operations";
import { createCustomerOp, deleteCustomerOp, getCustomerOp, listCustomersOp, updateCustomerOp } from "../customers/operations";
import {
  createKeyOp,
  deleteKeyOp,
  getKeyOp,
  listKeyLogsOp,
  listKeysOp,
  reactivateKeyOp,
  revokeKeyOp,
  rollKeyOp,
  suspendKeyOp,
  updateKeyOp,
} from "../keys/operations";

// Each operation keeps its own input and result types; the registry only needs their common shape.
export const REST_OPERATIONS = [
  listKeysOp,
  createKeyOp,
  getKeyOp,
  updateKeyOp,
  deleteKeyOp,
  rollKeyOp,
  suspendKeyOp,
  reactivateKeyOp,
  revokeKeyOp,
  listKeyLogsOp,
  listCustomersOp,
  createCustomerOp,
  getCustomerOp,
  updateCustomerOp,
  deleteCustomerOp,
  verificationAnalyticsOp,
  listAuditEventsOp,
] as unknown as Operation[];
