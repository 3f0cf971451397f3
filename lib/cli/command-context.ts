import { Command } from 'commander';
import { GlobalFlags, GlobalOptions, resolveGlobals } from './global-options';

/** What every command needs from the program: its global options, resolved. */
export interface CommandContext {
  globals(command: Command): GlobalOptions;
}

export const commandContext: CommandContext = {
  globals: (command) => resolveGlobals(command.optsWithGlobals<GlobalFlags>()),
};
