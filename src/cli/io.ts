// What the CLI touches outside itself, injectable so tests run it in-process.
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
  /** Colour text output (stdout is a TTY and NO_COLOR is unset). */
  readonly color: boolean;
}
