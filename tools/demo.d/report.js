require('fs').writeFileSync(process.argv[3], '<html></html>')
