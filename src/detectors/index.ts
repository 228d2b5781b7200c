import { compactionDetector } from './compaction.js';
import { eventLoggingDetector } from './event-logging.js';
import { frameworksDetector } from './frameworks.js';
import { permissionGatesDetector } from './permission-gates.js';
import { permissionSettingsDetector } from './permission-settings.js';
import { sessionPersistenceDetector } from './session-persistence.js';
import { shellSecurityDetector } from './shell-security.js';
import { streamingEventsDetector } from './streaming-events.js';
import { subAgentsDetector } from './sub-agents.js';
import { tokenBudgetDetector } from './token-budget.js';
import { toolPoolDetector } from './tool-pool.js';
import { toolsDetector } from './tools.js';
import type { Detector } from './types.js';
import { verificationDetector } from './verification.js';
import { workflowStateDetector } from './workflow-state.js';

/**
 * Every detector, in run order. `frameworks` must stay first: the others read what it found.
 * Adding a detector kind: one file in this folder, one line here.
 */
export const detectors: readonly Detector[] = [
  frameworksDetector,
  toolsDetector,
  permissionSettingsDetector,
  permissionGatesDetector,
  toolPoolDetector,
  subAgentsDetector,
  streamingEventsDetector,
  eventLoggingDetector,
  verificationDetector,
  shellSecurityDetector,
  sessionPersistenceDetector,
  workflowStateDetector,
  tokenBudgetDetector,
  compactionDetector,
];
