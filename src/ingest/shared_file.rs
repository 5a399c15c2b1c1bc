//! One open file read at several places at once: each [`SharedFile`] keeps
//! its own position and reads at it (`pread`), so that two calamine readers
//! can parse two sheets of the same workbook on two threads. They read the
//! file that was opened and hashed, not whatever the path names by then
//! (a file saved anew in its place), and its length as hashed.

use std::fs::File;
use std::io::{Error, ErrorKind, Read, Result, Seek, SeekFrom};
use std::sync::Arc;

/// A reader of a shared open file, with a position of its own.
pub struct SharedFile {
    file: Arc<File>,
    /// The file's length when it was hashed.
    len: u64,
    pos: u64,
}

impl SharedFile {
    /// Read `file`, of length `len`, from its start.
    pub fn new(file: Arc<File>, len: u64) -> SharedFile {
        SharedFile { file, len, pos: 0 }
    }
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        let n = read_at(&self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> Result<u64> {
        let pos = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                "a seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn two_readers_of_one_file_keep_their_own_places() {
        let mut tmp = tempfile::tempfile().expect("tempfile");
        tmp.write_all(b"0123456789").expect("write");
        let file = Arc::new(tmp);
        let (mut a, mut b) = (SharedFile::new(file.clone(), 10), SharedFile::new(file, 10));
        let mut two = [0u8; 2];
        a.read_exact(&mut two).expect("read");
        assert_eq!(&two, b"01");
        b.seek(SeekFrom::End(-3)).expect("seek");
        b.read_exact(&mut two).expect("read");
        assert_eq!(&two, b"78");
        a.read_exact(&mut two).expect("read");
        assert_eq!(&two, b"23");
        assert!(a.seek(SeekFrom::Current(-5)).is_err());
        let mut rest = Vec::new();
        b.read_to_end(&mut rest).expect("read");
        assert_eq!(rest, b"9");
    }
}
