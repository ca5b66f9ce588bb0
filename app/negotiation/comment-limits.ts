/** Longest comment or reply, in characters; the form and the server both hold to it. */
export const maxCommentLength = 4000;
