import { createLogger, type Logger } from './create-logger';

/**
 * A logger whose JSON lines are kept in memory, with the same redaction as every service's, so a
 * test can read what was (and was not) logged.
 */
export function createMemoryLogger(service: string, level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ service, level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}
