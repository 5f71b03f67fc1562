// The HTML report's stylesheet (src/report/html/assets/report.css), with stylelint's standard rules.
export default { extends: ['stylelint-config-standard'] };
