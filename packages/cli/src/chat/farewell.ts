/** Whether a user's words end the conversation: "goodbye", "good bye", "good-bye" (any case, anywhere). */
export function isGoodbye(text: string): boolean {
  return /\bgood[\s-]?bye\b/i.test(text);
}
