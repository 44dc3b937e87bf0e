// Drives yaml-language-server (the language server of VS Code's YAML
// extension and of most editors) over stdio, as an editor does: opens a
// values file whose first line is a yaml-language-server modeline, and prints
// the diagnostics the server publishes, as FILE:LINE:COLUMN: SEVERITY: MESSAGE.
//
//   npm ci
//   node lsp.js VALUES.yaml [SCHEMA.json]
//
// With SCHEMA.json, the modeline is pointed at it (in memory; the file is
// not changed).
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const file = path.resolve(process.argv[2]);
let text = fs.readFileSync(file, 'utf8');
if (process.argv[3]) {
  const schema = 'file://' + path.resolve(process.argv[3]);
  text = text.replace(/^# yaml-language-server: \$schema=.*$/m, '# yaml-language-server: $schema=' + schema);
}
const srv = spawn(process.execPath, [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio']);
let buf = Buffer.alloc(0);
let id = 0;
function send(msg) {
  const s = JSON.stringify(Object.assign({ jsonrpc: '2.0' }, msg));
  srv.stdin.write('Content-Length: ' + Buffer.byteLength(s) + '\r\n\r\n' + s);
}
const uri = 'file://' + file;
srv.stdout.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const h = buf.indexOf('\r\n\r\n');
    if (h < 0) return;
    const len = parseInt(/Content-Length: (\d+)/.exec(buf.slice(0, h).toString())[1]);
    if (buf.length < h + 4 + len) return;
    const msg = JSON.parse(buf.slice(h + 4, h + 4 + len).toString());
    buf = buf.slice(h + 4 + len);
    if (msg.id !== undefined && msg.method) { // server request
      let result = null;
      if (msg.method === 'workspace/configuration') result = msg.params.items.map(() => ({ validate: true, schemaStore: { enable: false } }));
      send({ id: msg.id, result });
      continue;
    }
    if (msg.id === 1) {
      send({ method: 'initialized', params: {} });
      send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } } } } });
      send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
    }
    if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri === uri && msg.params.diagnostics.length > 0) {
      for (const dg of msg.params.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line)) {
        const sev = ['', 'error', 'warning', 'information', 'hint'][dg.severity || 1];
        console.log(`${path.basename(file)}:${dg.range.start.line + 1}:${dg.range.start.character + 1}: ${sev}: ${dg.message.replace(/\n/g, ' ')}`);
      }
      srv.kill();
      process.exit(0);
    }
  }
});
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: 'file://' + path.dirname(file), capabilities: { workspace: { configuration: true } } } });
setTimeout(() => { console.log('no diagnostics'); srv.kill(); process.exit(1); }, 20000);
