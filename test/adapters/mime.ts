/** The message with folded header lines (a line break followed by white space) joined again, as RFC 5322 reads them. */
export function unfoldHeaders(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  return head.replace(/\r?\n(?=[ \t])/g, "") + (end === -1 ? "" : raw.slice(end));
}

/** The leaf parts of a MIME message, their bodies decoded (7bit, quoted-printable or base64). */
export function mimeParts(raw: string): { contentType: string; body: string }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head, ...rest] = part.replace(/^\r?\n/, "").split(/\r?\n\r?\n/);
      const body = rest.join("\r\n\r\n").replace(/\r?\n$/, "");
      const contentType = /^Content-Type:\s*([^;\r\n]+)/im.exec(head)?.[1].trim() ?? "";
      const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(head)?.[1].toLowerCase() ?? "7bit";
      const decoded =
        encoding === "base64"
          ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
          : encoding === "quoted-printable"
            ? Buffer.from(
                body
                  .replace(/=\r?\n/g, "")
                  .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
                "latin1",
              ).toString("utf8")
            : body;
      return { contentType, body: decoded };
    });
}
