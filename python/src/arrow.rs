//! Tables as Arrow: the core's CSV tables (docs/CONTRACT.md, "Tables") read into typed
//! Arrow record batches, handed to Python through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`, `__arrow_c_schema__`), so pyarrow, polars and pandas (through
//! pyarrow) import the buffers without copying them.
//!
//! The core writes each table once, as CSV; this module parses that text rather than
//! walking the results again, so an Arrow table cannot drift from its CSV twin (same
//! columns, same order, same values). Column types follow from the column's name:
//!
//! | columns | Arrow type |
//! |---|---|
//! | `state`, `zone`, `point`, `run`, `rounds` | int64 |
//! | `utility:PARTY`, `reservation:PARTY` | float64 |
//! | `agreement`, `rational` | bool |
//! | `solutions`, `rules_fired`, `events_fired`, `not_as_written` | list of utf8 (the CSV's `;`-separated cell; an empty cell is an empty list) |
//! | any other (`issue:ID`, `outcome`, `walked_out`, columns added later) | utf8 |
//!
//! An empty CSV cell is a null in every column but the lists.
//!
//! The per-run table is streamed: each record batch is a range of runs played and written
//! by the core when the consumer asks for it, so memory holds one batch whatever the runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{ArrayRef, RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use dealzone::sim::World;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// How a column is typed, by its name (the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Bool,
    List,
    Text,
}

fn kind(name: &str) -> Kind {
    match name {
        "state" | "zone" | "point" | "run" | "rounds" => Kind::Int,
        "agreement" | "rational" => Kind::Bool,
        "solutions" | "rules_fired" | "events_fired" | "not_as_written" => Kind::List,
        n if n.starts_with("utility:") || n.starts_with("reservation:") => Kind::Float,
        _ => Kind::Text,
    }
}

fn item() -> Arc<Field> {
    Arc::new(Field::new_list_field(DataType::Utf8, true))
}

/// The Arrow schema of a table with this CSV header.
pub fn schema_of(header: &[String]) -> SchemaRef {
    let fields: Vec<Field> = header
        .iter()
        .map(|name| {
            let t = match kind(name) {
                Kind::Int => DataType::Int64,
                Kind::Float => DataType::Float64,
                Kind::Bool => DataType::Boolean,
                Kind::List => DataType::List(item()),
                Kind::Text => DataType::Utf8,
            };
            Field::new(name.as_str(), t, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// One column being built.
enum Column {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    List(ListBuilder<StringBuilder>),
    Text(StringBuilder),
}

fn bad(column: &str, row: usize, cell: &str, what: &str) -> ArrowError {
    ArrowError::ParseError(format!(
        "table row {row}, column `{column}`: `{cell}` is not {what}"
    ))
}

impl Column {
    fn new(kind: Kind) -> Column {
        match kind {
            Kind::Int => Column::Int(Int64Builder::new()),
            Kind::Float => Column::Float(Float64Builder::new()),
            Kind::Bool => Column::Bool(BooleanBuilder::new()),
            Kind::List => Column::List(ListBuilder::new(StringBuilder::new()).with_field(item())),
            Kind::Text => Column::Text(StringBuilder::new()),
        }
    }

    fn push(&mut self, cell: &str, column: &str, row: usize) -> Result<(), ArrowError> {
        match self {
            Column::List(b) => {
                for part in cell.split(';').filter(|_| !cell.is_empty()) {
                    b.values().append_value(part);
                }
                b.append(true);
            }
            _ if cell.is_empty() => match self {
                Column::Int(b) => b.append_null(),
                Column::Float(b) => b.append_null(),
                Column::Bool(b) => b.append_null(),
                Column::Text(b) => b.append_null(),
                Column::List(_) => unreachable!("lists are matched above"),
            },
            Column::Int(b) => b.append_value(
                cell.parse()
                    .map_err(|_| bad(column, row, cell, "an integer"))?,
            ),
            Column::Float(b) => b.append_value(
                cell.parse()
                    .map_err(|_| bad(column, row, cell, "a number"))?,
            ),
            Column::Bool(b) => b.append_value(match cell {
                "true" => true,
                "false" => false,
                _ => return Err(bad(column, row, cell, "true or false")),
            }),
            Column::Text(b) => b.append_value(cell),
        }
        Ok(())
    }

    fn finish(self) -> ArrayRef {
        match self {
            Column::Int(mut b) => Arc::new(b.finish()),
            Column::Float(mut b) => Arc::new(b.finish()),
            Column::Bool(mut b) => Arc::new(b.finish()),
            Column::List(mut b) => Arc::new(b.finish()),
            Column::Text(mut b) => Arc::new(b.finish()),
        }
    }
}

/// The header of a CSV table (its first record).
pub fn header_of(csv_text: &[u8]) -> Result<Vec<String>, ArrowError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text);
    let h = r
        .headers()
        .map_err(|e| ArrowError::CsvError(e.to_string()))?;
    Ok(h.iter().map(str::to_string).collect())
}

/// The rows of a CSV table (with its header, which must name `schema`'s fields in order)
/// as one record batch of `schema`.
///
/// Complexity: O(cells), one pass; memory the batch.
pub fn batch_of(schema: &SchemaRef, csv_text: &[u8]) -> Result<RecordBatch, ArrowError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text);
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let header = r
        .headers()
        .map_err(|e| ArrowError::CsvError(e.to_string()))?
        .clone();
    if header.iter().ne(names.iter().copied()) {
        return Err(ArrowError::SchemaError(format!(
            "the table's columns changed: {:?}, expected {names:?}",
            header.iter().collect::<Vec<_>>()
        )));
    }
    let mut columns: Vec<Column> = names.iter().map(|n| Column::new(kind(n))).collect();
    for (row, record) in r.records().enumerate() {
        let record = record.map_err(|e| ArrowError::CsvError(e.to_string()))?;
        for ((cell, column), name) in record.iter().zip(&mut columns).zip(&names) {
            column.push(cell, name, row)?;
        }
    }
    RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(Column::finish).collect(),
    )
}

/// Where a table's batches come from.
enum Source {
    /// Built once (a zone's states, the Pareto set): shared, never copied on export.
    Batches(Vec<RecordBatch>),
    /// Runs `start .. end` of a batch of simulations, played when the consumer reads them.
    Runs(Arc<RunsSpec>),
}

/// A range of a batch of simulated runs, to stream.
pub struct RunsSpec {
    /// The simulation's world.
    pub world: World,
    /// The master seed.
    pub seed: u64,
    /// The first run.
    pub start: u64,
    /// One past the last run.
    pub end: u64,
    /// Runs per record batch.
    pub batch: u64,
    /// The wall-time budget of playing the stream's runs (the time the consumer spends
    /// between reads does not count).
    pub time_limit: Option<Duration>,
}

/// The per-run stream: one record batch per `batch` runs, played on demand.
struct RunsReader {
    spec: Arc<RunsSpec>,
    schema: SchemaRef,
    next: u64,
    /// The time spent playing runs so far.
    spent: Duration,
    /// Set when the budget ran out: the next read reports it.
    late: Option<u64>,
}

impl Iterator for RunsReader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(k) = self.late.take() {
            self.next = self.spec.end;
            return Some(Err(ArrowError::ExternalError(
                format!(
                    "limit time_limit reached: the runs table stops at run {k} of {}",
                    self.spec.end
                )
                .into(),
            )));
        }
        if self.next >= self.spec.end {
            return None;
        }
        let s = &self.spec;
        let stop = s.end.min(self.next.saturating_add(s.batch));
        let left = s.time_limit.map(|l| l.saturating_sub(self.spent));
        let began = Instant::now();
        let mut text = Vec::new();
        let done = match dealzone::report::csv::runs(
            &mut text,
            &s.world,
            s.seed,
            self.next..stop,
            true,
            left,
        ) {
            Ok(done) => done,
            Err(e) => {
                self.next = s.end;
                return Some(Err(ArrowError::IoError(e.to_string(), e)));
            }
        };
        self.spent += began.elapsed();
        if done < stop {
            // As the CSV: the prefix played in time, then the failure.
            self.late = Some(done);
        }
        self.next = stop;
        Some(batch_of(&self.schema, &text))
    }
}

impl RecordBatchReader for RunsReader {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// A table of results, readable by any Arrow consumer through the PyCapsule interface
/// (`pyarrow.table(t)`, `polars.DataFrame(t)`, `pyarrow.RecordBatchReader.from_stream(t)`).
#[pyclass(frozen, module = "dealzone._dealzone")]
pub struct ArrowTable {
    schema: SchemaRef,
    source: Source,
}

impl ArrowTable {
    /// A table from a CSV table written by the core, as one record batch.
    pub fn from_csv(text: &[u8]) -> Result<ArrowTable, ArrowError> {
        let schema = schema_of(&header_of(text)?);
        let batch = batch_of(&schema, text)?;
        Ok(ArrowTable {
            schema,
            source: Source::Batches(vec![batch]),
        })
    }

    /// The runs of `spec`, streamed in batches of `spec.batch` runs.
    pub fn runs(spec: RunsSpec) -> ArrowTable {
        let header = dealzone::report::csv::runs_header(&spec.world);
        ArrowTable {
            schema: schema_of(&header),
            source: Source::Runs(Arc::new(spec)),
        }
    }

    fn reader(&self) -> Box<dyn RecordBatchReader + Send> {
        match &self.source {
            Source::Batches(b) => Box::new(RecordBatchIterator::new(
                b.clone().into_iter().map(Ok),
                self.schema.clone(),
            )),
            Source::Runs(spec) => Box::new(RunsReader {
                spec: spec.clone(),
                schema: self.schema.clone(),
                next: spec.start,
                spent: Duration::ZERO,
                late: None,
            }),
        }
    }
}

#[pymethods]
impl ArrowTable {
    /// The Arrow PyCapsule interface: a capsule holding an `ArrowArrayStream` of the
    /// table's record batches (each call a new stream; a runs table plays its runs as it
    /// is read). `requested_schema` is not honoured: the consumer gets the table's own.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = FFI_ArrowArrayStream::new(self.reader());
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The Arrow PyCapsule interface: a capsule holding the table's `ArrowSchema`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The columns: `(name, type)` pairs, type one of `int64`, `float64`, `bool`,
    /// `list<utf8>`, `utf8`.
    #[getter]
    fn columns(&self) -> Vec<(String, &'static str)> {
        self.schema
            .fields()
            .iter()
            .map(|f| {
                let t = match kind(f.name()) {
                    Kind::Int => "int64",
                    Kind::Float => "float64",
                    Kind::Bool => "bool",
                    Kind::List => "list<utf8>",
                    Kind::Text => "utf8",
                };
                (f.name().clone(), t)
            })
            .collect()
    }

    /// The number of rows (of a runs table: the runs, whether played yet or not).
    #[getter]
    fn rows(&self) -> u64 {
        match &self.source {
            Source::Batches(b) => b.iter().map(|b| b.num_rows() as u64).sum(),
            Source::Runs(s) => s.end.saturating_sub(s.start),
        }
    }
}
