// The service's feature namespaces, visible everywhere in it: a feature folder is a namespace,
// and features call each other's public types without a using per file.
global using GemeinsamDigital.Api.Audit;
global using GemeinsamDigital.Api.Catalog;
global using GemeinsamDigital.Api.Changes;
global using GemeinsamDigital.Api.Commands;
global using GemeinsamDigital.Api.EventStore;
global using GemeinsamDigital.Api.Http;
global using GemeinsamDigital.Api.Measures;
global using GemeinsamDigital.Api.Monitoring;
global using GemeinsamDigital.Api.Revisions;
global using GemeinsamDigital.Api.Controlling;
global using GemeinsamDigital.Api.Security;
global using GemeinsamDigital.Api.Webhooks;
global using GemeinsamDigital.Api.Seed;
global using GemeinsamDigital.Api.Imports;
global using GemeinsamDigital.Api.Subjects;
global using GemeinsamDigital.Api.Operations;
global using GemeinsamDigital.Api.Web;
